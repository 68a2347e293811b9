print(len(str(abs(-5))))
