import { testAppEnv } from "./test-env";

// Unit tests touch no service, but app modules parse the environment when imported.
Object.assign(process.env, testAppEnv(), { DATABASE_URL: "postgresql://unit-tests-use-no-database@127.0.0.1:1/none" });
