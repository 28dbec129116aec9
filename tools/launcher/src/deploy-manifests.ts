// `npm run deploy:manifests`: regenerates deploy/kustomize/base from the deployables' manifests.
import { join, resolve } from "node:path";
import { writeKustomizeBase } from "./kustomize.ts";

const root = resolve(import.meta.dirname, "..", "..", "..");
const files = writeKustomizeBase(root, join(root, "deploy", "kustomize", "base"));
console.log(`wrote deploy/kustomize/base: ${files.join(", ")}`);
