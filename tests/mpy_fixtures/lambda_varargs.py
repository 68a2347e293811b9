h = lambda *a, **k: (a, k)
