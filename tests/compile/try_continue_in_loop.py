while True:
    try:
        continue
    except:
        pass
