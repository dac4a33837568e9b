package dev.taskq.cli.command;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that only groups subcommands ({@code workflow}, {@code schedule}): alone, it is a usage error. */
abstract class GroupCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "Name a subcommand of '" + spec.name() + "': " + String.join(", ", spec.subcommands().keySet()));
    }
}
