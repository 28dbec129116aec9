import { execSync } from "node:child_process";
import { freePort } from "@toko/testing";
import { Cluster } from "/work/wt-build/tools/build/src/cluster.ts";
import { stageProduction } from "/work/wt-build/tools/build/src/stage.ts";
const dir = "/tmp/cltree";
execSync(`rm -rf ${dir}`);
stageProduction(dir, { compile: true, npmArgs: ["--prefer-offline"] });
const cluster = new Cluster({ tree: dir, replicas: 2, adminUrl: "postgres://postgres@127.0.0.1:5432/postgres", natsUrl: "nats://127.0.0.1:4222", redisUrl: "redis://127.0.0.1:6379/11", namespace: `toko_dbg_${process.pid}`, freePort });
const timer = setInterval(() => {
  console.log(execSync(`psql -h 127.0.0.1 -U postgres -tA -F' ' -c "select datname, count(*) from pg_stat_activity where datname is not null group by 1 order by 2 desc"`).toString().replace(/\n/g, " | "));
}, 3000);
try { await cluster.start(); console.log("STARTED", cluster.origin); await new Promise((r) => setTimeout(r, 8000)); }
catch (e) { console.log("FAIL", String(e).slice(0, 500)); }
clearInterval(timer);
await cluster.stop();
process.exit(0);
