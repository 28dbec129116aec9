export {
  createTestDatabase,
  freePort,
  prepareTemplate,
  startTestPostgres,
  TEMPLATE_DATABASE,
  TEST_POSTGRES_ENV,
  type TestDatabase,
  testPostgresUrl,
} from "./postgres.ts";
export {
  startTestService,
  TEST_INTERNAL_SECRET,
  type TestClientOptions,
  type TestService,
  testPrincipal,
} from "./service.ts";
