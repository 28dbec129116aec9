import { busContract } from "./events-support/bus-contract.ts";
import { natsBusFixture } from "./events-support/buses.ts";
import { natsSkipReason } from "./events-support/nats.ts";

busContract("nats", natsBusFixture, await natsSkipReason());
