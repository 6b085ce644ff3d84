"""The five Pentahelix elements: every organisation, and so every person, belongs to one."""

from app.i18n import lazy_gettext as _l
from app.types import StrEnum


class Element(StrEnum):
    PEMERINTAH = "pemerintah"
    BISNIS = "bisnis"
    AKADEMISI = "akademisi"
    KOMUNITAS = "komunitas"
    MEDIA = "media"

    @property
    def label(self):
        return ELEMENT_LABELS[self]

    @property
    def description(self):
        return ELEMENT_DESCRIPTIONS[self]


ELEMENT_LABELS = {
    Element.PEMERINTAH: _l("Government"),
    Element.BISNIS: _l("Business"),
    Element.AKADEMISI: _l("Academia"),
    Element.KOMUNITAS: _l("Community"),
    Element.MEDIA: _l("Media"),
}

ELEMENT_DESCRIPTIONS = {
    Element.PEMERINTAH: _l("City hall, regional parliament, government offices"),
    Element.BISNIS: _l("Companies and industry"),
    Element.AKADEMISI: _l("Universities and researchers"),
    Element.KOMUNITAS: _l("Communities and associations"),
    Element.MEDIA: _l("Press and media"),
}
