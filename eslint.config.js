export { default } from '@contextworker/eslint-config';
