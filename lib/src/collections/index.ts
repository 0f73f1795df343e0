// Collections: lazy, chainable, async-iterable listings (boto3's ResourceCollection), batch
// actions, and the paginators the SDK lacks.
export { ResourceCollection, type CollectionSource, type CollectionState } from "./collection";
export { DeletableCollection, deleteInBatches, MAX_KEYS_PER_DELETE, type BatchDeleteParams, type BatchDeleteResult, type DeletableSource } from "./batch";
export { paginateListObjects, paginateListObjectVersions, paginateListMultipartUploads } from "./paginators";
