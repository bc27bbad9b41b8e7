import { buildApp } from '../lib/app';
import { ConfigError } from '../lib/config';

try {
  buildApp();
} catch (error) {
  // A configuration mistake is the user's to fix: say what is wrong, without a stack trace.
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
