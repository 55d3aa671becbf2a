package app.achievements.cli;

import java.lang.reflect.Constructor;
import picocli.CommandLine;

/**
 * Builds the commands and their option groups, handing the {@link Context} to each one whose
 * constructor takes it: the way every command gets its standard input, clock, environment and stop
 * signal, never from a global.
 */
final class ContextFactory implements CommandLine.IFactory {

  private final Context context;

  ContextFactory(Context context) {
    this.context = context;
  }

  @Override
  public <K> K create(Class<K> type) throws Exception {
    Constructor<K> withContext;
    try {
      withContext = type.getDeclaredConstructor(Context.class);
    } catch (NoSuchMethodException e) {
      return CommandLine.defaultFactory().create(type);
    }
    return withContext.newInstance(context);
  }
}
