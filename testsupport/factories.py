"""factory_boy factories for the whole domain. All data is fictional."""

from __future__ import annotations

from datetime import date

import factory
from django.contrib.auth import get_user_model

from pupils.models import Contact, Pupil
from pupils.validators import upn_check_letter
from schools.models import Membership, Role, School


def make_upn(n: int) -> str:
    body = f"{820 + n % 100:03d}{4000 + n % 1000:04d}26{n % 100:02d}{n % 10}"
    return upn_check_letter(body) + body


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    name = factory.Sequence(lambda n: f"Larkfield Academy {n}")
    urn = factory.Sequence(lambda n: f"{900000 + n:06d}")
    local_authority = "Exampleshire"
    address = "1 School Lane\nExampletown\nEX1 1AA"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff{n}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    email = factory.LazyAttribute(lambda u: f"{u.username}@school.example")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    school = factory.SubFactory(SchoolFactory)
    role = Role.TEACHER


class PupilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pupil

    school = factory.SubFactory(SchoolFactory)
    upn = factory.Sequence(make_upn)
    legal_first_name = factory.Faker("first_name", locale="en_GB")
    legal_last_name = factory.Faker("last_name", locale="en_GB")
    date_of_birth = date(2013, 3, 14)
    year_group = "8"
    sex = Pupil.Sex.FEMALE


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    pupil = factory.SubFactory(PupilFactory)
    name = factory.Faker("name", locale="en_GB")
    relationship = "Mother"
    phone = "01632 960000"
    email = "parent@family.example"
