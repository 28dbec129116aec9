export { compileWorkspace } from "./compile.ts";
export { type BuiltProcess, productionArgs, startBuiltProcess } from "./processes.ts";
export {
  deployableSpecs,
  generateProductionSecrets,
  type ProductionSecrets,
  productionEnv,
} from "./stack.ts";
export { type StagedTree, type StageOptions, stageProduction } from "./stage.ts";
export { listWorkspaces, productionClosure, repoRoot, type Workspace } from "./workspaces.ts";
