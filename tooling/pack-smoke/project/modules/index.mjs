// A worker module defined by the consuming project itself, found by discovery in PROJECT_DIR/modules.
import { defineModule } from '@contextworker/registry';

export default defineModule({
  name: 'smoke',
  workflowsPath: new URL('./workflows.mjs', import.meta.url).pathname,
  activities: () => ({
    greet: async (name) => `hello, ${name}`,
  }),
});
