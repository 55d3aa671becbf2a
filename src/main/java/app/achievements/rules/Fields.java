package app.achievements.rules;

/** The names of the user fields that the migration reads and writes. */
public final class Fields {
  public static final String ID = "_id";
  public static final String ACHIEVEMENTS = "achievements";
  public static final String ACHIEVEMENTS_V2 = "achievements_v2";
  public static final String CREATED_AT = "createdAt";
  public static final String USERNAME = "username";

  private Fields() {}
}
