"""The command line's language: its messages and its ``--help`` in es-MX or en-US.

The language comes from the environment (:func:`tearline.i18n.from_environment`:
``TEARLINE_LANG``, then ``LC_ALL``/``LC_MESSAGES``/``LANG``). Help texts stay plain
English at their source (``help="…"`` and the commands' docstrings, which
``python3 dev.py i18n`` collects into the catalog) and are translated once, when the
root command is built (:func:`localize_help`): the source reads as ordinary Typer code.
Printed messages are marked with :func:`_` where they are printed.
"""

from __future__ import annotations

import os
from typing import Any

import typer
from typer import rich_utils

from tearline import i18n


def N_(message: str) -> str:  # noqa: N802 — gettext's name for "mark, translate later"
    """Mark ``message`` for the catalog; it is translated where it is shown."""
    return message


#: Click's help of ``--help`` itself.
HELP_OPTION = N_("Show this message and exit.")
#: Typer's own words in ``--help``: panel titles and the notes after an option's help
#: (constants of ``typer.rich_utils``, fixed in English when Typer is imported), set for
#: the language of each root command built — one language per process, as a command
#: line has.
TYPER_WORDS: dict[str, str] = {
    "ARGUMENTS_PANEL_TITLE": N_("Arguments"),
    "OPTIONS_PANEL_TITLE": N_("Options"),
    "COMMANDS_PANEL_TITLE": N_("Commands"),
    "DEFAULT_STRING": N_("[default: {}]"),
    "ENVVAR_STRING": N_("[env var: {}]"),
    "REQUIRED_LONG_STRING": N_("[required]"),
    "DEPRECATED_STRING": N_("(deprecated) "),
}


def cli_locale() -> str:
    """The locale the command line speaks now."""
    return i18n.from_environment(dict(os.environ))


def _(message: str) -> str:
    """``message`` in the command line's language."""
    return i18n.gettext(message, cli_locale())


# ``command`` is a Click command of the Click that Typer bundles (whose types Typer does
# not export): typed as ``Any`` rather than through a private module.
def localize_help(command: Any, locale: str) -> None:
    """Translate the help of ``command`` and of everything under it, in place."""
    say = i18n.translations(locale).gettext
    for name, english in TYPER_WORDS.items():
        setattr(rich_utils, name, say(english))
    if locale == i18n.DEFAULT:
        return  # the source is English

    def walk(cmd: Any) -> None:
        if cmd.help:
            cmd.help = say(cmd.help)
        if cmd.short_help:
            cmd.short_help = say(cmd.short_help)
        for param in cmd.params:
            help_text = getattr(param, "help", None)
            if help_text:
                param.help = say(help_text)
        context = typer.Context(cmd, help_option_names=["-h", "--help"])
        help_option = cmd.get_help_option(context)
        if help_option is not None:
            help_option.help = say(HELP_OPTION)
        commands = getattr(cmd, "commands", {})  # a group's commands, those built so far
        for sub in getattr(commands, "loaded", commands).values():
            walk(sub)

    walk(command)
