"""`bahth completion bash|zsh|fish`: a shell completion script for bahth, generated from the
argument parser itself (commands, options, option values), so it never goes stale.

    eval "$(bahth completion bash)"                     # ~/.bashrc
    eval "$(bahth completion zsh)"                      # ~/.zshrc
    bahth completion fish > ~/.config/fish/completions/bahth.fish
"""

from __future__ import annotations

import argparse
import shlex

from bahth.cli.commands.common import EXIT_OK, write

NAME = "completion"
HELP = "print a shell completion script: bash, zsh or fish"
SHELLS = ("bash", "zsh", "fish")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("shell", choices=SHELLS, help="the shell to complete in")


def commands_of(parser: argparse.ArgumentParser) -> dict[str, tuple[str, dict[str, list[str]]]]:
    """command -> (help, {option: its choices or [] for a free value / a flag})."""
    found: dict[str, tuple[str, dict[str, list[str]]]] = {}
    for action in parser._actions:  # argparse offers no public walk of its subparsers
        if isinstance(action, argparse._SubParsersAction):
            helps = {choice.dest: choice.help or "" for choice in action._choices_actions}
            for name, sub in action.choices.items():
                options = {}
                for option in sub._actions:
                    for string in option.option_strings:
                        if string.startswith("--"):
                            options[string] = [str(c) for c in option.choices] if option.choices else []
                found[name] = (helps.get(name, ""), options)
    return found


def bash_script(commands: dict[str, tuple[str, dict[str, list[str]]]]) -> str:
    cases = []
    for name, (_help, options) in commands.items():
        values = [f'            {shlex.quote(option)}) COMPREPLY=($(compgen -W {shlex.quote(" ".join(choices))} '
                  f'-- "$cur")); return;;' for option, choices in options.items() if choices]
        cases.append(f"        {name})\n          case \"$prev\" in\n" + "\n".join(values) +
                     f"\n          esac\n          COMPREPLY=($(compgen -W {shlex.quote(' '.join(options))} -- \"$cur\"));;")
    return f'''# bahth completion for bash (eval "$(bahth completion bash)")
_bahth() {{
    local cur="${{COMP_WORDS[COMP_CWORD]}}" prev="${{COMP_WORDS[COMP_CWORD-1]}}"
    if [ "$COMP_CWORD" -eq 1 ]; then
        COMPREPLY=($(compgen -W {shlex.quote(" ".join(commands))} -- "$cur")); return
    fi
    case "${{COMP_WORDS[1]}}" in
{chr(10).join(cases)}
    esac
}}
complete -o default -F _bahth bahth
'''


def zsh_script(commands: dict[str, tuple[str, dict[str, list[str]]]]) -> str:
    return ("# bahth completion for zsh (eval \"$(bahth completion zsh)\"): the bash script through bashcompinit\n"
            "autoload -U +X compinit && compinit\nautoload -U +X bashcompinit && bashcompinit\n"
            + bash_script(commands).split("\n", 1)[1])


def fish_script(commands: dict[str, tuple[str, dict[str, list[str]]]]) -> str:
    lines = ["# bahth completion for fish (bahth completion fish > ~/.config/fish/completions/bahth.fish)"]
    for name, (help_text, options) in commands.items():
        lines.append(f"complete -c bahth -n __fish_use_subcommand -a {name} -d {shlex.quote(help_text)}")
        for option, choices in options.items():
            values = f" -xa {shlex.quote(' '.join(choices))}" if choices else ""
            lines.append(f"complete -c bahth -n '__fish_seen_subcommand_from {name}' -l {option[2:]}{values}")
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    commands = commands_of(args.parser)
    write({"bash": bash_script, "zsh": zsh_script, "fish": fish_script}[args.shell](commands))
    return EXIT_OK
