"""Who published each reference file, under what title, where, and how it was obtained.

A report cites a published series by its publisher, the dataset's title and URL, and
how the copy it read was obtained, besides the file name and SHA-256 that prove
which bytes were read. The files are recognized by their SHA-256 (the ones listed in
the reference data's README, ``shared/data/README.md``): a file of the same name but
other bytes is not given a citation it may not deserve, and is cited by name and hash
only.

The reference copies were taken from public repositories that republish the
agencies' files; ``retrieved`` names the repository, the commit and the path (the
README pins each file that way and states no calendar date of retrieval).
"""

from __future__ import annotations

from dataclasses import dataclass

from tearline.errors import tr


@dataclass(frozen=True, slots=True)
class Citation:
    publisher: str
    title: str
    url: str
    retrieved: str  # how and from where the copy was obtained
    licence: str

    def to_dict(self) -> dict[str, str]:
        return {
            "publisher": self.publisher,
            "title": self.title,
            "url": self.url,
            "retrieved": self.retrieved,
            "licence": self.licence,
        }

    def text(self) -> str:
        """One line: ``Publisher, "Title", URL (retrieved …; licence)``."""
        return (f'{self.publisher}, "{self.title}", {self.url} '
                f"(retrieved {self.retrieved}; {self.licence})")  # fmt: skip


_CBP = "U.S. Customs and Border Protection"
_CBP_URL = "https://www.cbp.gov/newsroom/stats/drug-seizure-statistics"
_CBP_REPOSITORY = "github.com/Howard-Xuan/fentanyl_traffick"
_CBP_COMMIT = "b9b2f5ff2b2a9225bf618ddbc4f6e670efdcfeca"
#: How a copy was obtained and under what licence: marked, so a report says them in
#: its own language (the publisher, the title and the URL are the publisher's own words).
_US_WORK = tr("U.S. government work, public domain")


def _copy(repository: str, commit: str, path: str) -> str:
    return tr("from {repository} at commit {commit}, file {path}", repository=repository,
              commit=commit, path=path)


#: By SHA-256 of the file's bytes.
CITATIONS: dict[str, Citation] = {
    "daa0806c41367e478d12ed742ac4a55487361b52894f46316396667b9ed3847c": Citation(
        _CBP, "Nationwide Drug Seizures, FY2019–FY2022 (monthly)", _CBP_URL,
        _copy(_CBP_REPOSITORY, _CBP_COMMIT, "nationwide-drugs-fy19-fy22.csv"), _US_WORK,
    ),
    "5c93d66cf3498ac977064f384e029588f7ad1f410e71db328f7168b40db999db": Citation(
        _CBP, "Nationwide Drug Seizures, FY2020–FY2023 (monthly)", _CBP_URL,
        _copy(_CBP_REPOSITORY, _CBP_COMMIT, "nationwide-drugs-fy20-fy23.csv"), _US_WORK,
    ),
    "100665c194442f60dbd5e064881e07b774816bfecb0c5e2100fe5a563c452016": Citation(
        "United Nations Office on Drugs and Crime (UNODC)",
        "World Drug Report: drug seizures by country and drug, 1970–2019 (kg equivalent)",
        "https://dataunodc.un.org/",
        _copy("github.com/daraa17/drug-seizures", "0e6e21abb6e10f57754e4b4b1014ed48b1860c7c",
              "final data/seizures_1.csv"),
        tr('data © UNODC, cited as "UNODC, World Drug Report"'),
    ),
}  # fmt: skip


def citation_for(sha256: str) -> Citation | None:
    """The citation of the reference file with these bytes, or None for any other file."""
    return CITATIONS.get(sha256.lower())
