import { App } from 'aws-cdk-lib';
import { addSparkifyDwh } from '../lib/app';
import { ConfigError, loadConfig, readContext } from '../lib/config';

const app = new App();
try {
  addSparkifyDwh(app, loadConfig(readContext((key) => app.node.tryGetContext(key))));
} catch (error) {
  // A configuration mistake is the user's to fix: say what is wrong, without a stack trace.
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
