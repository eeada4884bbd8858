// One catalog per worker process, shared with the harvester and every other module (see @contextworker/catalog).
export { CATALOG_RESOURCE, sharedCatalog as catalogResource } from '@contextworker/catalog';
