"""The words of the oversight report, in Spanish (the default: the report goes to
Mexican oversight bodies) and English (on request).

Kept beside the report rather than in the i18n catalogues because the report's
language is chosen per document, not by the reader's locale; each pair is written
here once, and a test checks that both languages have every label.
"""

from __future__ import annotations

LABELS: dict[str, dict[str, str]] = {
    "title": {"es": "Informe de contactos e intercambios con agentes extranjeros",
              "en": "Report of contacts and exchanges with foreign agents"},
    "legal": {"es": "Ley de Seguridad Nacional (reforma de diciembre de 2020): todo contacto "
                    "o intercambio con agentes extranjeros se informa dentro del plazo.",
              "en": "Ley de Seguridad Nacional (December 2020 reform): every contact or "
                    "exchange with foreign agents is reported within the term."},
    "agency": {"es": "Dependencia", "en": "Agency"},
    "officer": {"es": "Servidor público que firma", "en": "Signing officer"},
    "signed_at": {"es": "Firmado", "en": "Signed"},
    "range": {"es": "Bitácora cubierta (entradas)", "en": "Log range covered (entries)"},
    "checkpoint": {"es": "Punto de control firmado", "en": "Signed checkpoint"},
    "root": {"es": "Raíz", "en": "Root"},
    "marking": {"es": "Marcado", "en": "Marking"},
    "none": {"es": "Sin intercambios en el periodo.", "en": "No exchanges in the range."},
    "at": {"es": "Fecha y hora (UTC)", "en": "Date and time (UTC)"},
    "due": {"es": "Vence", "en": "Due"},
    "nature": {"es": "Naturaleza", "en": "Nature"},
    "foreign": {"es": "Dependencia y unidad extranjera", "en": "Foreign agency and unit"},
    "ours": {"es": "Unidad y servidores públicos", "en": "Unit and officials"},
    "records": {"es": "Registros", "en": "Records"},
    "agreement": {"es": "Instrumento (base legal)", "en": "Agreement (legal basis)"},
    "subject": {"es": "Asunto", "en": "Subject"},
    "place": {"es": "Lugar", "en": "Place"},
    "foreign_agents": {"es": "Agentes extranjeros", "en": "Foreign agents"},
    "notes": {"es": "Observaciones", "en": "Notes"},
    "entries": {"es": "Entradas de la bitácora", "en": "Log entries"},
    "page": {"es": "Página", "en": "Page"},
    "of": {"es": "de", "en": "of"},
    "metadata_only": {"es": "Solo metadatos: ningún contenido de registro.",
                      "en": "Metadata only: no record content."},
    "records-received": {"es": "Recepción de registros", "en": "Records received"},
    "release-to": {"es": "Entrega de registros", "en": "Release to"},
    "release-from": {"es": "Registros entregados por", "en": "Release from"},
    "onward-release": {"es": "Entrega ulterior", "en": "Onward release"},
    "deconfliction-hit": {"es": "Coincidencia de desconflicción",
                          "en": "Deconfliction hit"},
    "federation-sync": {"es": "Sincronización con nodo extranjero",
                        "en": "Federation sync"},
    "consent": {"es": "Consentimiento", "en": "Consent"},
    "recall": {"es": "Retiro de registros", "en": "Recall"},
    "contact": {"es": "Reunión o llamada", "en": "Meeting or call"},
}


def labels(language: str) -> dict[str, str]:
    return {key: texts[language] for key, texts in LABELS.items()}
