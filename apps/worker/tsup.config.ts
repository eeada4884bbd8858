import { defineConfig } from 'tsup';
import { definePackageBuild } from '@contextworker/tsup-config';

export default defineConfig({
  ...definePackageBuild({ cli: 'src/cli.ts', index: 'src/index.ts' }),
  banner: { js: '#!/usr/bin/env node' },
});
