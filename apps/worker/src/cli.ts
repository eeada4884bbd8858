import { main } from './program.js';

const code = await main(process.argv);
// The Temporal runtime keeps native handles open after a command ends; leave
// explicitly once both output streams have drained.
process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
