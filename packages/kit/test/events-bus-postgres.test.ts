import { busContract } from "./events-support/bus-contract.ts";
import { postgresBusFixture } from "./events-support/buses.ts";

busContract("postgres", postgresBusFixture);
