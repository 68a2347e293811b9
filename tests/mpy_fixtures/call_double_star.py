k = {"sep": ","}
print(1, 2, **k)
