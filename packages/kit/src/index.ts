export { ConfigError, env, loadConfig, serviceEnvShape } from "./config/config.ts";
export {
  createDb,
  createPool,
  type Kysely,
  type PoolOptions,
  sql,
  type Transaction,
  transaction,
} from "./db/database.ts";
export {
  databaseUrl,
  ensureDatabase,
  type Migration,
  MigrationError,
  migrate,
  readMigrations,
} from "./db/migrations.ts";
export { DomainError, type ErrorKind, errors, type FieldViolation } from "./errors/domain-error.ts";
export * from "./events/index.ts";
export {
  createLogger,
  type Logger,
  type LoggerOptions,
  type Principal,
  type RequestContext,
  requestContext,
} from "./log/logger.ts";
export { metricsRegistry } from "./telemetry/metrics.ts";
