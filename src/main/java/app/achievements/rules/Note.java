package app.achievements.rules;

/**
 * Something worth knowing about how a user was migrated. The names are part of the output and stay
 * stable; the declaration order is the order in which notes are listed.
 */
public enum Note {
  NULLS_DROPPED,
  DUPLICATES_DROPPED,
  CREATED_AT_FROM_STRING,
  CREATED_AT_FROM_EPOCH_SECONDS,
  CREATED_AT_FROM_EPOCH_MILLIS,
  CREATED_AT_MISSING,
  CREATED_AT_INVALID,
  UNLOCKED_AT_FROM_OBJECT_ID,
  UNLOCKED_AT_FROM_RUN_START
}
