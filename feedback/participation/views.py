"""Residents' participation pages: thin, over ``services`` and ``selectors``."""

from django.shortcuts import render


def need_list(request):
    return render(request, "participation/need_list.html", {"needs": []})


def need_new(request):
    return render(request, "participation/need_list.html", {"needs": []})


def need_submitted(request):
    return render(request, "participation/need_list.html", {"needs": []})


def need_track(request, token: str):
    return render(request, "participation/need_list.html", {"needs": []})
