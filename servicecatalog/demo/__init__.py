"""Demo content of the catalogue: categories, audiences, service guides and stations.

The facts are in ``services.toml`` and ``stations.toml`` beside this module (blank forms
in ``forms/``); their header comments say what each key means. This module only turns
them into snippets and pages. Idempotent: snippets and pages are matched by slug, blank
forms by title, so loading twice leaves the same content.
"""

import tomllib
from decimal import Decimal
from pathlib import Path

from django.core.files.base import ContentFile
from wagtail.documents.models import Document

from home.demo import load_review_workflow
from home.models import Community, HomePage

from ..models import (
    ServiceAudience,
    ServiceCategory,
    ServiceIndexPage,
    ServiceItemPage,
    ServiceMaterial,
    StationIndexPage,
    StationOpeningHours,
    StationPage,
)
from ..vocab import StationStatus
from .docx import form_docx

DATA = Path(__file__).parent
SERVICE_WORKFLOW = "办事指南审核"
STATION_WORKFLOW = "红色驿站审核"


def _read(name: str) -> dict:
    with open(DATA / name, "rb") as file:
        return tomllib.load(file)


def load_taxonomy(data: dict) -> None:
    for model, rows in [(ServiceCategory, data["categories"]), (ServiceAudience, data["audiences"])]:
        for order, row in enumerate(rows):
            fields = dict(row)
            model.objects.update_or_create(
                slug=fields.pop("slug"), defaults={**fields, "sort_order": order * 10}
            )


def _index(model, *, slug: str, title: str, intro: str):
    home = HomePage.objects.get()
    page = model.objects.child_of(home).filter(slug=slug).first()
    if page is None:
        page = home.add_child(instance=model(title=title, slug=slug, intro=intro))
    page.title, page.intro = title, intro
    page.save_revision().publish()
    return page


def _child(parent, model, slug: str):
    """The page under ``parent`` with this slug, or a new one, not saved yet."""
    return model.objects.child_of(parent).filter(slug=slug).first() or model(slug=slug)


def _save(parent, page, fields: dict):
    for name, value in fields.items():
        setattr(page, name, value)
    if page.pk is None:
        parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def load_stations(index: StationIndexPage, data: dict) -> dict[str, StationPage]:
    communities = {c.slug: c for c in Community.objects.prefetch_related("grids")}
    stations = {}
    for spec in data["stations"]:
        fields = {"status": StationStatus.OPERATING, "status_note": "", **spec}
        community = communities[fields["community"]]
        grid = fields.pop("grid", None)
        hours = data["hours"][fields.pop("hours")]
        page = _child(index, StationPage, fields["slug"])
        fields.update(
            community=community,
            grid={g.name: g for g in community.grids.all()}[grid] if grid else None,
            # A 党群服务中心 is the community's own office.
            address=fields.get("address") or community.address,
            # TOML reads coordinates as floats; the fields keep six decimal places.
            latitude=Decimal(f"{fields['latitude']:.6f}"),
            longitude=Decimal(f"{fields['longitude']:.6f}"),
            always_open=hours.get("always_open", False),
            opening_hours=[
                StationOpeningHours(weekday=day, opens=span["opens"], closes=span["closes"])
                for span in hours["spans"]
                for day in span["days"]
            ],
            hours_note=hours["note"],
            intro=data["types"][fields["station_type"]]["intro"].format_map(fields),
        )
        stations[page.slug] = _save(index, page, fields)
    return stations


def _blank_form(title: str, filename: str) -> Document:
    """The blank form as a Word document (``docx``); an older demo's .txt is replaced."""
    document = Document.objects.filter(title=title).first()
    if document is None or document.file_extension != "docx":
        document = document or Document(title=title)
        content = form_docx((DATA / "forms" / filename).read_text(encoding="utf-8"))
        document.file.save(f"{title}.docx", ContentFile(content), save=False)
        document.save()
    return document


def _materials(specs: list, common: dict) -> list[ServiceMaterial]:
    materials = []
    for order, spec in enumerate(specs):
        fields = {
            "copies": 1,
            "required": True,
            "note": "",
            **(common[spec] if isinstance(spec, str) else spec),
        }
        blank_form = fields.pop("blank_form", None)
        fields["blank_form"] = _blank_form(fields["name"], blank_form) if blank_form else None
        materials.append(ServiceMaterial(**fields, sort_order=order))
    return materials


def load_services(index: ServiceIndexPage, data: dict, stations: dict[str, StationPage]) -> None:
    categories = {c.slug: c for c in ServiceCategory.objects.all()}
    audiences = {a.slug: a for a in ServiceAudience.objects.all()}
    for spec in data["services"]:
        place = spec.get("place_station")
        fields = {
            "online_url": "",
            "featured": False,
            **data["every_service"],
            **data["at_station" if place else "hall"],
            **spec,
        }
        audience_slugs = fields.pop("audiences")
        page = _child(index, ServiceItemPage, fields["slug"])
        fields.update(
            category=categories[fields["category"]],
            place_station=stations[place] if place else None,
            conditions="<ol>" + "".join(f"<li>{c}</li>" for c in fields["conditions"]) + "</ol>",
            process=[("step", step) for step in fields.pop("steps")],
            faq=[("faq", item) for item in fields.get("faq", [])],
            materials=_materials(fields["materials"], data["common_materials"]),
        )
        page = _save(index, page, fields)
        # Audiences are a many-to-many relation: set once the page exists, then publish again.
        page.audiences.set([audiences[a] for a in audience_slugs])
        page.save_revision().publish()


def link_station_services(stations: dict[str, StationPage], types: dict) -> None:
    services = {s.slug: s for s in ServiceItemPage.objects.all()}
    for station in stations.values():
        wanted = types[station.station_type].get("services")
        if wanted is None:  # e.g. a 红色驿站 handles no guide on the spot
            continue
        station.services.set([services[s] for s in wanted])
        station.save_revision().publish()


def load(stdout=None) -> None:
    services, stations = _read("services.toml"), _read("stations.toml")
    load_taxonomy(services)
    services_index = _index(ServiceIndexPage, **services["index"])
    stations_index = _index(StationIndexPage, **stations["index"])
    station_pages = load_stations(stations_index, stations)
    load_services(services_index, services, station_pages)
    link_station_services(station_pages, stations["types"])
    load_review_workflow(SERVICE_WORKFLOW, services_index)
    load_review_workflow(STATION_WORKFLOW, stations_index)
    if stdout:
        stdout.write(f"  办事指南 {len(services['services'])} 项，驿站 {len(station_pages)} 个")
