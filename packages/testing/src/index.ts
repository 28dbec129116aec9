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
