package io.veritydb.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code verity} command line. */
@Command(
    name = "verity",
    mixinStandardHelpOptions = true,
    version = "VerityDB 0.1.0-SNAPSHOT",
    description = "VerityDB: an embeddable, tamper-evident, log-structured database.",
    subcommands = {
      DemoCommand.class,
      VkeyCommand.class,
      CheckpointCommand.class,
      ProveCommand.class,
      VerifyCommand.class,
      VoprCommand.class,
      BenchCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit code (0 when all went well). */
  public static int run(String... args) {
    return commandLine().execute(args);
  }

  /** The command line, with errors reported as one line naming what was wrong (exit code 1). */
  static CommandLine commandLine() {
    CommandLine commandLine = new CommandLine(new Main());
    commandLine.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          cmd.getErr().println("verity: " + e.getMessage());
          cmd.getErr().flush();
          return 1;
        });
    return commandLine;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
