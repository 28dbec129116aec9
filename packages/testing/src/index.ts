export { countRows, rejectsWithCode } from "./assertions.ts";
export { type ShippingDouble, startShippingDouble } from "./doubles/shipping-double.ts";
export { freeOffset, freePort } from "./free-port.ts";
export { natsSkipReason, TEST_NATS_URL } from "./nats.ts";
export {
  createTestDatabase,
  prepareTemplate,
  startTestPostgres,
  TEMPLATE_DATABASE,
  TEST_POSTGRES_ENV,
  type TestDatabase,
  testPostgresUrl,
} from "./postgres.ts";
export { sampleAddress } from "./sample-address.ts";
export {
  startTestService,
  TEST_INTERNAL_SECRET,
  type TestClientOptions,
  type TestService,
  testPrincipal,
} from "./service.ts";
export {
  runServiceScript,
  type ServiceProcess,
  type ServiceProcessOptions,
  startServiceProcess,
} from "./service-process.ts";
export {
  leftTempDirs,
  makeTempDir,
  removeTempDir,
  TEMP_PREFIX,
  TEST_TMPFS_ENV,
  tempRoot,
} from "./temp-dir.ts";
export { waitFor, waitForValue } from "./wait.ts";
