"""Shell completion (``verify --completion bash|zsh|fish``): commands, options, and claim ids, which the script
asks the library for with ``verify list`` when it completes (so they follow ``--derivations`` and
``[tool.verify]``)."""

from __future__ import annotations

from verifier.cli.arguments import COMMANDS, parser

_VALUES = {"--format": "text json junit github markdown html", "--color": "auto always never",
           "--completion": "bash zsh fish"}


def _options() -> list[str]:
    return sorted({s for a in parser()._actions for s in a.option_strings if s.startswith("--")})


def script(shell: str) -> str:
    """The completion script for ``shell`` (``bash``, ``zsh`` or ``fish``)."""
    commands = " ".join(COMMANDS)
    options = " ".join(_options())
    if shell == "fish":
        lines = ["complete -c verify -f",
                 f"complete -c verify -n '__fish_use_subcommand' -a '{commands}'",
                 "complete -c verify -n '__fish_use_subcommand; or __fish_seen_subcommand_from show' "
                 "-a '(verify list 2>/dev/null | string replace -r \"\\s.*\" \"\")'",
                 "complete -c verify -n '__fish_seen_subcommand_from files report merge' -F"]
        for option in _options():
            values = _VALUES.get(option)
            extra = f" -x -a '{values}'" if values else ""
            lines.append(f"complete -c verify -l {option[2:]}{extra}")
        return "\n".join(lines) + "\n"
    body = f"""_verify() {{
    local cur prev words
    cur="${{COMP_WORDS[COMP_CWORD]}}"
    prev="${{COMP_WORDS[COMP_CWORD-1]}}"
    case "$prev" in
        --format) COMPREPLY=($(compgen -W "{_VALUES['--format']}" -- "$cur")); return ;;
        --color) COMPREPLY=($(compgen -W "{_VALUES['--color']}" -- "$cur")); return ;;
        --completion) COMPREPLY=($(compgen -W "{_VALUES['--completion']}" -- "$cur")); return ;;
        --derivations|--notation|--output) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    esac
    if [[ "$cur" == -* ]]; then
        COMPREPLY=($(compgen -W "{options}" -- "$cur")); return
    fi
    case " ${{COMP_WORDS[*]}} " in
        *" files "*|*" report "*|*" merge "*) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    esac
    local ids
    ids=$(verify list 2>/dev/null | cut -d' ' -f1)
    COMPREPLY=($(compgen -W "{commands} $ids" -- "$cur"))
}}
"""
    if shell == "zsh":
        return "#compdef verify\nautoload -U +X bashcompinit && bashcompinit\n" + body + "complete -F _verify verify\n"
    return body + "complete -o default -F _verify verify\n"
