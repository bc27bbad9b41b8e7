// npm run generate -- --out DIR [--events N] [--songs M] [--days D] [--seed S] [--start YYYY-MM-DD]
// Writes a deterministic synthetic Sparkify data set; see local/generator/generate.ts.
import { runGenerateCli } from '../generator/cli';

process.exitCode = runGenerateCli(process.argv.slice(2));
