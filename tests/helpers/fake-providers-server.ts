/**
 * `node tests/helpers/fake-providers-server.ts [port]`: the fake providers as a process (the e2e suite
 * starts it as a Playwright webServer and points the app at it). Control it over HTTP: POST
 * /__fake/<provider> with a Behaviour, DELETE /__fake to reset.
 */
import { startFakeProviders } from './fake-providers.ts';

const port = Number(process.argv[2] ?? process.env.FAKE_PROVIDERS_PORT ?? 0);
const fake = await startFakeProviders({ port });
console.log(`[fake-providers] listening on ${fake.url}`);
const stop = () => void fake.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
