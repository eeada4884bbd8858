import { defineConfig } from 'tsup';
import { definePackageBuild } from '@contextworker/tsup-config';

export default defineConfig(definePackageBuild({ index: 'src/index.ts' }));
