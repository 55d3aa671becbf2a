package app.achievements.cli;

import app.achievements.embedded.EmbeddedMongo;
import app.achievements.embedded.SampleUsers;
import app.achievements.rules.Json;
import app.achievements.run.MigrationOptions;
import app.achievements.run.MigrationResult;
import app.achievements.run.MigrationRunner;
import app.achievements.run.RunSetup;
import app.achievements.store.MongoUserStore;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code migrate.jar demo}: the whole migration on sample users in an embedded server, no MongoDB
 * needed: a dry run, the real run, before → after read back from the database, and a second run.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    versionProvider = ManifestVersionProvider.class,
    description =
        "Runs the migration on sample users in an embedded, in-memory MongoDB: no MongoDB needed.")
final class DemoCommand implements Callable<Integer> {

  static final long SEED = 42;

  /** The kinds of user whose before → after the demo shows, besides a clean one. */
  static final List<String> SHOWN_KINDS =
      List.of(
          "int and long ids",
          "nulls among ids",
          "duplicate ids",
          "createdAt ISO string with offset",
          "createdAt epoch seconds",
          "createdAt unparseable",
          "string _id, createdAt unparseable",
          "non-integral double id");

  @Spec CommandSpec spec;

  @Mixin SampleOptions sample;

  private final Context context;

  DemoCommand(Context context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    int users = sample.users();
    PrintWriter out = spec.commandLine().getOut();
    try (EmbeddedMongo server = EmbeddedMongo.start(0);
        MongoClient client = MongoClients.create(server.connectionString())) {
      MongoCollection<BsonDocument> collection =
          client.getDatabase("demo").getCollection("users", BsonDocument.class);
      List<BsonDocument> sample = SampleUsers.generate(users, SEED);
      SampleUsers.insert(collection, sample);
      out.printf(
          "Embedded MongoDB (mongo-java-server, in memory) on %s with %d sample users in"
              + " demo.users:%n  one in five is messy (%d kinds, every case of SPEC.md), some are"
              + " already migrated or not eligible.%n%n",
          server.connectionString(), users, SampleUsers.KINDS.size());
      Map<String, BsonValue> shown = shownUsers(sample);
      Map<BsonValue, BsonDocument> before = read(collection, shown.values());
      MongoUserStore store = new MongoUserStore(collection);
      MigrationOptions options = MigrationOptions.defaults().withAssumeYes(true);

      out.println("== 1/4 Dry run: java -jar target/migrate.jar --dry-run ==");
      run(store, out, options.withDryRun(true));
      out.println();
      out.println("== 2/4 Migration: java -jar target/migrate.jar --yes ==");
      MigrationResult result = run(store, out, options);
      out.println();
      out.println("== 3/4 Before -> after, read back from the database ==");
      Map<BsonValue, BsonDocument> after = read(collection, shown.values());
      shown.forEach((kind, id) -> showUser(out, kind, before.get(id), after.get(id)));
      out.println();
      out.println("== 4/4 A second run: only the rejected users are still eligible ==");
      MigrationResult again =
          run(store, new PrintWriter(Writer.nullWriter()), options.withDryRun(true));
      out.printf(
          "eligible %d, would migrate %d, rejected %d (they stay eligible until their data is"
              + " fixed)%n",
          again.eligible(), again.migrated(), again.rejected());
      out.flush();
      if (again.migrated() != 0 || again.eligible() != result.rejected()) {
        spec.commandLine()
            .getErr()
            .printf(
                "error: the second run should find only the %d rejected users%n",
                result.rejected());
        return ExitCodes.FATAL;
      }
      return ExitCodes.OK;
    }
  }

  private MigrationResult run(MongoUserStore store, PrintWriter out, MigrationOptions options) {
    return new MigrationRunner(RunSetup.builder(store, out, context.clock(), options).build())
        .run();
  }

  /** The _id of the first sample user of each shown kind, and of the first clean one. */
  private static Map<String, BsonValue> shownUsers(List<BsonDocument> sample) {
    Map<String, BsonValue> ids = new LinkedHashMap<>();
    for (int i = 0; i < sample.size(); i++) {
      SampleUsers.Kind kind = SampleUsers.kindOf(i);
      String name = kind == null ? "well-formed" : kind.name();
      if ((kind == null || SHOWN_KINDS.contains(name)) && !ids.containsKey(name)) {
        ids.put(name, sample.get(i).get("_id"));
      }
    }
    return ids;
  }

  private static Map<BsonValue, BsonDocument> read(
      MongoCollection<BsonDocument> collection, Collection<BsonValue> ids) {
    Map<BsonValue, BsonDocument> byId = new LinkedHashMap<>();
    for (BsonDocument user : collection.find(Filters.in("_id", new ArrayList<>(ids)))) {
      byId.put(user.get("_id"), user);
    }
    return byId;
  }

  private static void showUser(
      PrintWriter out, String kind, BsonDocument before, BsonDocument after) {
    out.printf("%s, _id %s%n", kind, Json.relaxed(before.get("_id")));
    out.printf(
        "  before: achievements %s, createdAt %s%n",
        field(before, "achievements"), field(before, "createdAt"));
    out.printf("  after:  achievements_v2 %s%n", field(after, "achievements_v2"));
  }

  private static String field(BsonDocument user, String name) {
    return user.containsKey(name) ? Json.relaxed(user.get(name)) : "(missing)";
  }
}
