for k, v in {"a": 1}.items():
    print(k, v)
