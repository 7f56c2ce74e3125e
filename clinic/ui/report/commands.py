"""The report screen's actions in the command palette (Ctrl+P), one per dataset."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from clinic.i18n import _


class ReportCommands(Provider):
    """The report screen's actions in the command palette (Ctrl+P)."""

    def _commands(self) -> list[tuple[str, str, str]]:
        from clinic.core.exports import DATASETS

        found = [
            (_("Show report"), _("Recompute the report with the filters as typed"), "refresh"),
            (_("Export"), _("Export the chosen dataset with the screen's filters"), "export"),
            (_("Cancel export"), _("Stop a running export; no file is left"), "cancel_export"),
        ]
        for ds in DATASETS.values():
            found.append(
                (
                    _("Export: {name}").format(name=_(ds.title)),
                    _(ds.help),
                    f"export_dataset('{ds.name}')",
                )
            )
        return found

    async def discover(self) -> Hits:
        for name, help_text, action in self._commands():
            yield DiscoveryHit(name, partial(self.screen.run_action, action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, action in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(name),
                    partial(self.screen.run_action, action),
                    help=help_text,
                )
