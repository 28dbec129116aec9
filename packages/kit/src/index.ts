export { ConfigError, env, loadConfig, serviceEnvShape } from "./config/config.ts";
export {
  generateSealingKeys,
  openSealedSecret,
  type SealedSecret,
  type SealingKeyPair,
  sealingKeyId,
  sealingPublicKey,
  sealSecret,
} from "./crypto/sealed-secret.ts";
export {
  createDb,
  createPool,
  DEFAULT_SESSION_TIMEOUTS,
  type Kysely,
  type PoolLogger,
  type PoolOptions,
  type SessionTimeouts,
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
  type CallContext,
  requireActingAs,
  requirePrincipal,
  requireServiceNamed,
  requireServicePrincipal,
} from "./grpc/call-context.ts";
export {
  type CallOptions,
  type ClientConstructor,
  type ClientOptions,
  createClient,
  type PromiseClient,
} from "./grpc/client.ts";
export { ERROR_TRAILER, errorFromStatus, statusForKind } from "./grpc/error-mapping.ts";
export {
  type AsyncHandlers,
  type ImplementedService,
  type ImplementOptions,
  implement,
} from "./grpc/implement.ts";
export {
  PRINCIPAL_HEADER,
  PRINCIPAL_SIGNATURE_HEADER,
  PrincipalVerifier,
  REQUEST_ID_HEADER,
  SERVICE_ROLE,
  servicePrincipal,
  signPrincipal,
  targetOf,
} from "./grpc/principal.ts";
export { RemoteCallError } from "./grpc/remote-call-error.ts";
export {
  createLogger,
  type Logger,
  type LoggerOptions,
  type Principal,
  type RequestContext,
  requestContext,
} from "./log/logger.ts";
export {
  type BootstrapServiceOptions,
  bootstrapService,
  type ServiceWiring,
} from "./service/bootstrap-service.ts";
export { processAlive } from "./service/process-alive.ts";
export { runMain } from "./service/run-main.ts";
export type { ServiceEnv } from "./service/service-env.ts";
export {
  type BaseResourcesConfig,
  type ConsumerTuning,
  openServiceResources,
  type ServiceResources,
  type ServiceResourcesConfig,
  type ServiceResourcesOptions,
  type TimerTuning,
} from "./service/service-resources.ts";
export { type RunningService, type StartServiceOptions, startService } from "./service/start-service.ts";
export {
  type CounterSeries,
  FastCounter,
  FastHistogram,
  type HistogramSeries,
} from "./telemetry/fast-metrics.ts";
export { metricsRegistry } from "./telemetry/metrics.ts";
export { initTelemetry, spansExported, type TelemetryOptions } from "./telemetry/tracing.ts";
export * from "./timers/index.ts";
