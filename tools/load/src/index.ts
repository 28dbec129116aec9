export { type AuditSnapshot, audit, auditLine, type CheckResult } from "./audit.ts";
export { readSnapshot } from "./audit-snapshot.ts";
export { type LoadOptions, type LoadResult, runLoad } from "./load.ts";
export { platformProcesses, postmasterPid, type Stack, servicePids, startStack } from "./stack.ts";
export { percentile, summarize } from "./stats.ts";
