package app.achievements.rules;

/** Why an eligible user cannot be converted. The names are part of the output and stay stable. */
public enum RejectReason {
  ACHIEVEMENTS_NOT_ARRAY,
  BLANK_ID,
  NON_INTEGRAL_NUMBER,
  UNSUPPORTED_ELEMENT,
  NO_VALID_IDS
}
