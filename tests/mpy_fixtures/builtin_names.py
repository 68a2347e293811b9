print(len([1]), type(1), isinstance(1, int))
