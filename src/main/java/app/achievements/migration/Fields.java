package app.achievements.migration;

/** The names of the user fields that the migration reads and writes. */
final class Fields {
  static final String ID = "_id";
  static final String ACHIEVEMENTS = "achievements";
  static final String ACHIEVEMENTS_V2 = "achievements_v2";
  static final String CREATED_AT = "createdAt";
  static final String USERNAME = "username";

  private Fields() {}
}
