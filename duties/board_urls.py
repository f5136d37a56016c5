"""The governing board page. Included into the "duties" namespace by duties/urls.py."""

from django.urls import path

from duties import board_views

urlpatterns = [
    path("board/<int:suspension_pk>/", board_views.board_consideration_view, name="board"),
]
