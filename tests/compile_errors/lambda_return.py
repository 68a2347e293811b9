f = lambda: return
