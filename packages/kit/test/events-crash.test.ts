import { natsBusFixture, postgresBusFixture } from "./events-support/buses.ts";
import { crashSuite } from "./events-support/crash-suite.ts";
import { natsSkipReason } from "./events-support/nats.ts";

crashSuite("postgres", postgresBusFixture, false);
crashSuite("nats", natsBusFixture, await natsSkipReason());
