"""Item pipelines, one module each, in the order items flow through them:
validate -> deduplicate -> mongo (store)."""
