"""Create a procuratorate API client and print its token on the last line."""

from django.core.management.base import BaseCommand, CommandError

from cases.api_clients import api_client_create
from lawyers.models import LegalAidOffice, Procuratorate


class Command(BaseCommand):
    help = "Create an API client bound to one procuratorate; prints the token last."

    def add_arguments(self, parser):
        parser.add_argument("--procuratorate", required=True, help="procuratorate code")
        parser.add_argument("--name", required=True, help="client name")
        parser.add_argument("--callback-url", default="")
        parser.add_argument(
            "--create", action="store_true", help="create the procuratorate if it is missing"
        )
        parser.add_argument("--office", help="office code for a procuratorate made by --create")

    def handle(self, *args, **options):
        code = options["procuratorate"]
        procuratorate = Procuratorate.objects.filter(code=code).first()
        if procuratorate is None:
            if not options["create"]:
                raise CommandError(f"No procuratorate with code {code}; pass --create to add it.")
            offices = LegalAidOffice.objects.all()
            if options["office"]:
                offices = offices.filter(code=options["office"])
            office = offices.first()
            if office is None or (not options["office"] and offices.count() > 1):
                raise CommandError("Name the legal-aid office that serves it with --office.")
            procuratorate = Procuratorate.objects.create(code=code, name=code, office=office)
        client, token = api_client_create(
            procuratorate=procuratorate, name=options["name"], callback_url=options["callback_url"]
        )
        self.stderr.write(f"Created API client {client.name} for {procuratorate.code}.")
        self.stdout.write(token)
