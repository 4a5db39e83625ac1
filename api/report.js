// Checks the public API of each entry point against its committed report (`api/*.api.md`), so
// that every change to what users may rely on is deliberate: `npm run api:check` fails on any
// difference; `npm run api:update` writes the reports anew, to commit with the change.
import { Extractor, ExtractorConfig } from '@microsoft/api-extractor';

const localBuild = process.argv.includes('--update');
let changed = false;
for (const entry of ['index', 'testing', 'health', 'queue']) {
  const config = ExtractorConfig.loadFileAndPrepare(
    new URL(`${entry}.api-extractor.json`, import.meta.url).pathname,
  );
  const result = Extractor.invoke(config, { localBuild, messageCallback: quiet });
  if (result.apiReportChanged) changed = true;
  if (!result.succeeded && !result.apiReportChanged) process.exitCode = 1;
}
if (changed && !localBuild) {
  console.error('The public API changed: review it, then run `npm run api:update` and commit.');
  process.exitCode = 1;
}

/** Keeps the routine lines out of the test output; warnings and errors still print. */
function quiet(message) {
  if (message.logLevel === 'info' || message.logLevel === 'verbose') message.handled = true;
}
