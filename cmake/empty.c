/* Stands in for a layer that has no sources yet, so every layer exists as a target. */
typedef int pcf_empty_translation_unit;
