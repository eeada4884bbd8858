import { defineConfig } from 'tsup';
import { definePackageBuild } from '@contextworker/tsup-config';

export default defineConfig(definePackageBuild({"index": "src/index.ts", "workflows": "src/workflows.ts", "bisection": "src/bisection.ts", "module": "src/module.ts"}));
