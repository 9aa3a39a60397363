"""placeholder"""
def help_for(path):
    return f"{path} help\n"
